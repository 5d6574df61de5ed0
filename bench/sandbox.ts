export async function run(): Promise<void> {
  console.log('sandbox bench: not written yet');
}
