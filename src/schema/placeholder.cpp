// placeholder for the schema module until its first file lands.
