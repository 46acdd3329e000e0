// A pulumi up against the emulator takes seconds; the engine's start alone takes a few.
jest.setTimeout(10 * 60_000);
