"""Official documents (公文) generated from the registry in the GB/T 9704-2012 format: one module per
concern — the format engine (:mod:`.layout`), the periodic figures (:mod:`.figures`), what the
documents read from the registry (:mod:`.source`), one module per kind, and PDF output (:mod:`.pdf`)."""
