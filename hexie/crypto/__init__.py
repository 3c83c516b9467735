"""The lowest layer: encryption of personal data at rest, lookup hashes and masking.

Below every app (orgs included) so that any model holding a phone or an ID number can encrypt it.
It knows Django's settings and model fields, and nothing of Hexie.
"""
