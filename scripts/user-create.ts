import { main } from '../src/cli/user-create';

void main();
