"""Red-team suite: every class of attack on the history, the checks, the site and the ledger (issue 9)."""
