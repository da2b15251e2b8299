import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { i18n } from './platform/i18n';
import { router } from './router';
import { installGuards } from './router/guards';
import './styles.css';

const app = createApp(App);
app.use(createPinia());
app.use(i18n);
installGuards(router);
app.use(router);
app.mount('#app');
