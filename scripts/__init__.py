"""The maintainers' commands, each run from the project folder as `python -m scripts.NAME` (see README.md): the
folder a command runs in comes first on sys.path, so a copy of the project runs its own handbook and macros."""
