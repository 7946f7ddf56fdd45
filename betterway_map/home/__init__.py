"""The home page and each person's own page ("My page")."""
