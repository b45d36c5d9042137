"""The near-miss log: what a check that found something leaves behind, and what reviewers see.

recording.py   one record per draft with findings (redacted), merged across re-checks
redaction.py   what the log keeps of a draft: each rule's mask, never a pupil's name
clean_counts.py counts of checks that found nothing (never their text)
retention.py   deleting records older than the policy's retention period
review_data.py the review pages' queries: filters, pages, export rows, the weekly summary
charts.py      the summary's SVG charts
reports.py     staff's "this is wrong" reports and the Director of IT's answers (queue and staff's own list)
"""
