"""Pure decisions: what a message asks of us, given its verdict, the rules and the ledger's facts."""
