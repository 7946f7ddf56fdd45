"""Printed sheets of what is on nearby, for people who are not online."""
