"""Built-in readers. Each module imports its heavy dependencies only inside ``read``."""
