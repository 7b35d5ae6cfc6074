#!/usr/bin/env bash
# Prepares a fresh Debian machine (Python >= 3.11) for debriefer: system
# packages, then a virtual environment in .venv with debriefer installed in
# editable mode plus the test tools.  Safe to run again; it only adds what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "debriefer needs Python 3.11 or newer as '$PYTHON'" >&2
    exit 1
fi

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1
    fi
}

# Dovecot lives in /usr/sbin, which an ordinary user's PATH may lack.
have_dovecot() { PATH="$PATH:/usr/sbin:/sbin" command -v dovecot >/dev/null; }

# System packages the project needs, installed only when missing.
# dovecot-imapd: the tests start their own throwaway Dovecot (tests/servers/dovecot.py).
missing=()
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
have_dovecot || missing+=(dovecot-imapd)
if [ ${#missing[@]} -gt 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The package may start and enable the system-wide Dovecot on 143/993.  The tests
# never use it, so keep it off; failures are fine (no systemd, no permission, ...).
if have_dovecot; then
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
        if systemctl is-enabled --quiet dovecot.service dovecot.socket 2>/dev/null ||
            systemctl is-active --quiet dovecot.service dovecot.socket 2>/dev/null; then
            as_root systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
        fi
    elif [ -e /run/dovecot/master.pid ] && [ -x /etc/init.d/dovecot ]; then
        as_root /etc/init.d/dovecot stop >/dev/null 2>&1 || true
    fi
fi

if [ ! -x .venv/bin/python ]; then
    "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test,demo]'
