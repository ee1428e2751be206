"""``python -m station.cli``: the ``station`` command."""
from station.cli import main

if __name__ == "__main__":
    main()
