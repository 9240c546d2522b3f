"""Reading the archive: files on disk become checked, frozen records."""
