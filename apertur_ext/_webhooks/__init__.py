"""What Apertur sends you: signature verification, signing (to test your handlers), and payload
parsing into the generated models."""
