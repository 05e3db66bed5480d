"""Generic spreadsheet imports: domain apps register an ``ImportSpec``; core stages, runs and reports.

Public API: ``specs`` (``Column``, ``ImportSpec``, ``RowOutcome``, ``register``, ``get_spec``, the shared
parsers), ``services.import_start`` / ``services.import_run``, ``tasks.import_run_task`` and the URLs
in the ``imports`` namespace (``imports:upload_page`` etc.).
"""
