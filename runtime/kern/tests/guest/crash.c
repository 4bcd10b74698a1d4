/* A static program that dies: by a fault, or by the 32-bit entry. */
#include <string.h>

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "int80") == 0)
		__asm__ volatile("mov $20, %%eax; int $0x80" ::: "eax");
	*(volatile int *)16 = 1;
	return (0);
}
