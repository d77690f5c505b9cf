/* assets.h - text compiled in from assets/ by assets/embed.sh (see Makefile). */
#ifndef SOCKSTEP_ASSETS_H
#define SOCKSTEP_ASSETS_H

extern const char asset_help_txt[];          /* assets/help.txt */
extern const char asset_default_theme[];     /* assets/themes/default.theme */
extern const char asset_contrast_theme[];    /* assets/themes/contrast.theme */

#endif
