"""The scan's baseline: only the IMAP work of ``debriefer scan``, with nothing else.

    BENCH_PASSWORD=... python benchmarks/bare_fetch.py [--quiet] PORT USER SINCE BATCH ITEM...

Logs in, EXAMINEs INBOX, searches SINCE, fetches the same items in batches of
the same size as the scan, and touches every body; run as its own process, like
the scan, so both pay for starting Python.  Prints one JSON line.  imapclient as
shipped has imaplib format every response for its debug log; ``--quiet`` turns
that off, as ``daemon.mail.imap.connect`` does.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date

from imapclient import IMAPClient


def main(argv: list[str]) -> int:
    quiet = argv[:1] == ["--quiet"]
    port, user, since, batch_size, *items = argv[1:] if quiet else argv
    size = int(batch_size)
    client = IMAPClient("127.0.0.1", port=int(port), ssl=False, timeout=60)
    if quiet:
        client._imap.debug = 0
    client.login(user, os.environ["BENCH_PASSWORD"])
    client.select_folder("INBOX", readonly=True)
    uids = sorted(client.search(["SINCE", date.fromisoformat(since)]))
    count = fetched = 0
    for start in range(0, len(uids), size):
        for data in client.fetch(uids[start : start + size], items).values():
            body = next(v for k, v in data.items() if k.startswith(b"BODY["))
            count += 1
            fetched += len(body)
    client.logout()
    print(json.dumps({"messages": count, "bytes": fetched}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
