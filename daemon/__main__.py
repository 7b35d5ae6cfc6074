"""``python -m daemon``: the same as the ``debriefer`` command."""

import sys

from daemon.cli import main

sys.exit(main())
