"""Mail I/O: reading IMAP, finding folders, composing and appending drafts, SMTP."""
