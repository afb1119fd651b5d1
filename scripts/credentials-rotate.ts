import { main } from '../src/cli/credentials-rotate';

void main();
