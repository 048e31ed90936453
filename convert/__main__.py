"""``python -m convert`` runs the ``fmconvert`` command."""

from convert.cli import main

if __name__ == "__main__":
    main()
