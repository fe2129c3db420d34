"""Fees, invoices and payments: record-keeping only, no payment gateway."""
