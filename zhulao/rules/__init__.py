"""Pure domain rules: plain values in, plain values (and reasons) out. No Django imports."""
