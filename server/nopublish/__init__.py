"""The no-publish list: pupils whose names and faces must not be posted.

records.py     the list's rules (validation, consent, enrolment, audit, version counter); every
               change to the list goes through here: admin pages, CLI and bulk import alike
bulk_import.py the start-of-year import of a CSV and a ZIP or folder of photos (no HTTP)
state.py       the list as the checks see it in each worker, rebuilt when its version moves
protocols.py   what the checks need from the name matcher and the face index
"""
