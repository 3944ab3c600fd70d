"""The Excel ledger (台账): export a record kind to a workbook staff can fill in, and import a
workbook back into registry records without losing or silently changing anything."""
