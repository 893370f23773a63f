import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { ui } from './lib/i18n.svelte';

document.documentElement.lang = ui.lang;
mount(App, { target: document.getElementById('app')! });
