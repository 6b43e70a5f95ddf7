// placeholder for the validation module until its first file lands.
