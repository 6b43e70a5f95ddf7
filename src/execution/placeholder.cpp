// placeholder for the execution module until its first file lands.
