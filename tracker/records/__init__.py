"""Changes to the records: each checks its input, writes in one transaction, and audits.

Functions return a list of problems instead of writing when the input is wrong; they never
raise for bad input.
"""
