"""Results drawn where they are: images, tables, JSON trees, conversations, charts, files.

``model`` decides what each part of a value is (UI-free), ``panel`` shows it,
``actions`` copies, saves and opens it; the job view and the history view
share them.
"""
