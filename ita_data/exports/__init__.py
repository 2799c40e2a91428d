"""File exports: tables (XLSX, CSV, backups) and the monthly meeting deck (content, PPTX, PDF)."""
