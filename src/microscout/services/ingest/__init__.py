"""Ingest: importing files into the warehouse; rejected rows kept in quarantine with a reason."""
