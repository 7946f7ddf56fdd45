"""Messages through the platform: a user's inbox, read and replied to.

People never see each other's addresses, phone numbers or email here: an
organiser welcomes someone who would like to come to a group, a resident asks
about an offer of help, and the answer comes back the same way.
"""
