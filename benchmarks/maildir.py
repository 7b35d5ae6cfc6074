"""Seed a Dovecot user's INBOX fast: maildir files written once, then hard-linked.

APPENDing 20,000 messages (700 MB) costs minutes; writing the files takes
seconds, and a cached copy under /tmp costs nothing the next time: each user's
Maildir/cur gets hard links to the cached files (Dovecot only reads them, since
the benchmark never changes a flag), then one SELECT makes Dovecot index them.
Each file's mtime is the message's date, which Dovecot reports as INTERNALDATE.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import time
from collections import Counter
from pathlib import Path

import mailgen

from tests.servers.dovecot import Dovecot, MailUser

# Bump when mailgen changes what it writes, so an old cache is not reused.
VERSION = 1
CACHE_ROOT = Path("/tmp/debriefer-bench-cache")  # noqa: S108 - a cache, nothing secret


def mail_owner() -> tuple[int, int]:
    """Who Dovecot reads mail as (tests/servers/dovecot.py: ``mail`` when run as root)."""
    if os.geteuid() == 0:
        mail = pwd.getpwnam("mail")
        return mail.pw_uid, mail.pw_gid
    return os.getuid(), os.getgid()


def cached_mailbox(count: int, *, fresh: bool = False) -> tuple[Path, dict]:
    """A folder of ``count`` maildir files and a summary of the mix, made if not cached."""
    folder = CACHE_ROOT / f"v{VERSION}-{count}"
    summary_file = folder / "summary.json"
    if fresh:
        shutil.rmtree(folder, ignore_errors=True)
    if summary_file.exists():
        return folder, json.loads(summary_file.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    cur = folder / "cur"
    cur.mkdir(parents=True)
    uid, gid = mail_owner()
    started = time.perf_counter()
    kinds: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    sizes: list[int] = []
    for n, mail in enumerate(mailgen.mailbox(count)):
        stamp = int(mail.received.timestamp())
        # Seen or not, as a real inbox; S= spares Dovecot a stat for the size.
        flags = "S" if n % 3 else ""
        path = cur / f"{1_000_000_000 + n}.M{n}.bench,S={len(mail.raw)}:2,{flags}"
        path.write_bytes(mail.raw)
        os.chown(path, uid, gid)
        os.utime(path, (stamp, stamp))
        kinds[mail.kind] += 1
        languages[mail.language] += 1
        sizes.append(len(mail.raw))
    sizes.sort()
    summary = {
        "count": count,
        "bytes": sum(sizes),
        "median_size": sizes[len(sizes) // 2],
        "largest": sizes[-1],
        "over_128k": sum(size > 128 * 1024 for size in sizes),
        "kinds": dict(kinds),
        "languages": dict(languages),
        "generated_in": round(time.perf_counter() - started, 1),
    }
    summary_file.write_text(json.dumps(summary, indent=1))
    return folder, summary


def source_for(count: int) -> Path:
    """A cached folder holding at least ``count`` messages (its first ``count`` are the
    same messages whatever its size), made if there is none."""
    for folder in sorted(CACHE_ROOT.glob(f"v{VERSION}-*")):
        if (folder / "summary.json").exists() and int(folder.name.split("-")[1]) >= count:
            return folder
    return cached_mailbox(count)[0]


def clear_cache() -> None:
    shutil.rmtree(CACHE_ROOT, ignore_errors=True)


def install(dovecot: Dovecot, user: MailUser, source: Path, count: int) -> float:
    """Hard-link the first ``count`` cached files into the user's INBOX; returns the
    seconds Dovecot took to index them (the first SELECT)."""
    maildir = dovecot.dir / "home" / user.name / "Maildir"
    uid, gid = mail_owner()
    for sub in ("", "cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
        os.chown(maildir / sub, uid, gid)
    os.chown(maildir.parent, uid, gid)
    names = sorted((p.name for p in (source / "cur").iterdir()), key=lambda n: int(n.split(".")[0]))
    for name in names[:count]:
        os.link(source / "cur" / name, maildir / "cur" / name)
    started = time.perf_counter()
    with dovecot.client(user) as client:
        client.select_folder("INBOX", readonly=True)
        found = client.search("ALL")
    if len(found) != count:
        raise RuntimeError(f"Dovecot indexed {len(found)} of {count} messages")
    return time.perf_counter() - started
