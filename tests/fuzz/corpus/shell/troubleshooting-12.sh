# Option 1: Augmenter la mémoire dans Task Definition
"memory": "1024"  # au lieu de 512

# Option 2: Optimiser l'application
# - Réduire la consommation mémoire
# - Utiliser streaming au lieu de charger tout en mémoire
