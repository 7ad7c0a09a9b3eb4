"""Message catalogue, one module per area; see ledger.i18n."""
