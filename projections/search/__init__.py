"""Search read models: the product index (text, full-text vector, embedding) and its queries."""
