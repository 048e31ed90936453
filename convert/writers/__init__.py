"""Built-in writers. Each module imports its heavy dependencies only inside ``write``."""
