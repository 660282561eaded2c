from chainmap.cli import main

main()
