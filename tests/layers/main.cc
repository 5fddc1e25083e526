// Linked with --whole-archive against one layer and the layers below it:
// a layer that calls into a layer above it fails to link here.
int main() { return 0; }
