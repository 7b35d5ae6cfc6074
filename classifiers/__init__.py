"""Pure classification of job-application mail: no I/O, no state.

``classify(message)`` takes raw bytes, a mail-parser object or a MailView and
returns a ``Verdict``: label, confidence, language, readable reasons and the
extracted template context.
"""

from .classify import OPERATING_POINTS, classify, operating_point, relabel
from .message import MailView, from_bytes, from_parsed
from .suppress import suppression_reason
from .verdict import Extraction, Label, Verdict

__all__ = [
    "OPERATING_POINTS",
    "Extraction",
    "Label",
    "MailView",
    "Verdict",
    "classify",
    "from_bytes",
    "from_parsed",
    "operating_point",
    "relabel",
    "suppression_reason",
]
