"""Support for the tests: data factories and fixtures data, never tests themselves."""
