"""The TOML configuration: loaded once, checked completely, then frozen.

- ``model``: the frozen result (``Config`` and the dataclasses in it), the values its
  fields may take, ``sends`` and ``user_addresses``; no TOML, so pure code may import it.
- ``values``: parsing one value: durations, send windows, hosts, addresses, time
  zones (and the machine's own), and the default paths of the config and the state.
- ``locate``: ``_Locator``, which re-reads the TOML text for the line each key is on.
- ``check``: ``load_config``, ``ConfigError`` and the checks behind them, which collect
  every problem in the file, each with its file, line and key, before reporting any.

Paths may start with ``~``; a relative path is taken relative to the folder of the
config file.  No message built here ever shows the value of a ``password*`` key.
"""

from classifiers.language import LANGUAGES
from decide.window import SendWindow

from .check import (
    _ACCOUNT_KEYS,
    _MATCHERS,
    _POLICY_KEYS,
    _RULE_KEYS,
    _SMTP_KEYS,
    _TOP_KEYS,
    ENV_NAME,
    ConfigError,
    load_config,
)
from .model import (
    IMAP_PORTS,
    KEYRING_SERVICE,
    SECURITY_MODES,
    AccountConfig,
    Config,
    Identity,
    Policy,
    Rule,
    RuleMatch,
    SecretSource,
    SmtpConfig,
    sends,
    user_addresses,
)
from .values import (
    default_config_path,
    default_state_path,
    is_loopback,
    local_zone,
    parse_duration,
    parse_send_window,
)

# Every name other modules import from daemon.config; the tests also check the key lists.
__all__ = [
    "ENV_NAME",
    "IMAP_PORTS",
    "KEYRING_SERVICE",
    "LANGUAGES",
    "SECURITY_MODES",
    "_ACCOUNT_KEYS",
    "_MATCHERS",
    "_POLICY_KEYS",
    "_RULE_KEYS",
    "_SMTP_KEYS",
    "_TOP_KEYS",
    "AccountConfig",
    "Config",
    "ConfigError",
    "Identity",
    "Policy",
    "Rule",
    "RuleMatch",
    "SecretSource",
    "SendWindow",
    "SmtpConfig",
    "default_config_path",
    "default_state_path",
    "is_loopback",
    "load_config",
    "local_zone",
    "parse_duration",
    "parse_send_window",
    "sends",
    "user_addresses",
]
