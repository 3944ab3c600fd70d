"""Git history of the registry: reading it at a base revision, verifying who signed which change
(G-signed), and what the forge needs around it (CODEOWNERS, deadline issues).

Every git call goes through :mod:`rectify.history.git`; a range is read in one ``git log`` pass
and blobs in one ``git cat-file --batch`` pass, never a process per commit or per file.
"""
