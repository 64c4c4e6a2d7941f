// Placeholder removed below once written.
int main() { return 0; }
