"""debriefer's I/O side: the command line, and (to come) IMAP, state and drafting."""

__version__ = "0.1.0"
