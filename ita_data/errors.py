"""The one exception for a value a person supplied that cannot be used: a command-line argument, a
file name, an environment variable. The command line says so in one line and exits 2; anything
else that goes wrong is a bug and shows its traceback."""


class BadInput(ValueError):
    """A user-supplied value that cannot be used; the message says which and why."""
