"""Pure scheduling: when groups meet. No Flask, no database."""
