"""File exports: tables (XLSX, CSV, backups); the meeting deck (PPTX, PDF) comes later."""
