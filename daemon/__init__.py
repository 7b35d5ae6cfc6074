"""debriefer's I/O side: the command line, the config, mail, the running daemon and the ledger
(ARCHITECTURE.md is the map)."""

__version__ = "0.1.0"
