"""The transparency site: Registry → pages and data files (:mod:`rectify.site.generate`, pure),
handed to MkDocs by :mod:`rectify.site.plugin`."""
