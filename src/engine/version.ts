/** CNN Studio's version as run.json records it: package.json's, so a release bump changes it everywhere. */
import packageJson from '../../package.json';

export const CNN_STUDIO_VERSION: string = packageJson.version;
